//! `host-sim run`: the command around [`run_paths`](super::run_paths).

use super::report::{ReportFormat, render};
use super::run::{RunOptions, print, run_paths, write_transcripts};
use crate::cli::RunArgs;
use std::path::PathBuf;

/// Runs `host-sim run` with `args`; without paths, the bundled pack and the
/// built-in corpus check. Fails on any mismatch or load error.
pub fn run(args: &RunArgs) -> Result<(), String> {
    let mut reports = Vec::new();
    for pair in args.report.chunks(2) {
        let [format, file] = pair else { return Err("--report needs a format and a file".into()) };
        let format: ReportFormat = format.parse().map_err(|e| format!("--report: {e}"))?;
        reports.push((format, PathBuf::from(file)));
    }
    if let Some(jobs) = args.jobs {
        rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build_global().map_err(|e| format!("--jobs: {e}"))?;
    }
    let bundled = args.paths.is_empty();
    let paths = if bundled { vec![super::bundled_dir()] } else { args.paths.clone() };
    let options = RunOptions { transcript_dir: args.transcript.clone(), progress: !args.no_progress };
    let summary = run_paths(&paths, &options);
    let mut out = std::io::stdout().lock();
    print(&summary, &mut out).map_err(|e| e.to_string())?;
    drop(out);
    if let Some(dir) = &args.transcript {
        let n = write_transcripts(&summary, dir)?;
        println!("transcripts: {n} written to {}", dir.display());
    }
    for (format, file) in &reports {
        std::fs::write(file, render(&summary, *format))
            .map_err(|e| format!("cannot write report {}: {e}", file.display()))?;
        println!("report: {} written", file.display());
    }
    if let Some(file) = &args.log {
        let mut log = crate::reception_log::LogFile::open(file)?;
        for record in summary.results.iter().flat_map(|r| &r.log) {
            log.append(record)?;
        }
        println!("log: {} records appended to {}", log.appended(), file.display());
    }
    let corpus = if bundled {
        println!();
        crate::corpus_run::run()
    } else {
        Ok(())
    };
    match (summary.ok(), corpus) {
        (true, Ok(())) => Ok(()),
        (false, _) if summary.results.is_empty() => Err("no scenarios found".into()),
        (false, _) => {
            Err(format!("{} scenario(s) failed, {} file(s) could not be loaded", summary.failed(), summary.errors()))
        }
        (true, Err(e)) => Err(e),
    }
}
