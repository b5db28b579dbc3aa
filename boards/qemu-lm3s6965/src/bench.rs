//! Timing `decide` with SysTick. Under QEMU's `-icount` the counter advances
//! with executed instructions, so `xtask bench` turns ticks into an
//! instruction count; on real silicon the ticks are core cycles.

use cortex_m::peripheral::SYST;
use cortex_m::peripheral::syst::SystClkSource;
use firmware::corpus::CASES;
use firmware::domain::{CopayRate, LimitClass, SpecificDisease};
use firmware::rules::{Policy, decide};
use firmware::ui::Screen;

/// Screens timed on the OLED: the idle screen, a choice, the PIN picker and
/// the fullest result.
const OLED_SCREENS: [Screen; 4] = [
    Screen::Idle { online: true },
    Screen::ChooseAuth { pin_allowed: true },
    Screen::PinPicker { entered: 2, tries_left: Some(3), digit: 7 },
    Screen::Result {
        copay: CopayRate::Twenty,
        limit: Some(LimitClass::GenekiNamiIII),
        disease: Some(SpecificDisease::Dialysis),
        elderly: true,
    },
];

const RELOAD: u32 = 0x00FF_FFFF;

/// Free-running SysTick.
pub struct Ticks {
    syst: SYST,
}

impl Ticks {
    /// Starts SysTick counting down from its maximum, on the core clock.
    pub fn new(mut syst: SYST) -> Self {
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(RELOAD);
        syst.clear_current();
        syst.enable_counter();
        Self { syst }
    }

    /// SysTick back (device mode turns it into its clock).
    pub fn into_syst(self) -> SYST {
        self.syst
    }

    /// Ticks `f` took (must be shorter than one SysTick period, 2^24 ticks).
    fn time(&mut self, f: impl FnOnce()) -> u32 {
        let _ = &self.syst;
        let start = SYST::get_current();
        f();
        let end = SYST::get_current();
        start.wrapping_sub(end) & RELOAD
    }

    /// Ticks of a loop of exactly 1,000,000 instructions: `delay(n)` runs
    /// `n + 1` iterations of `subs` + `bne`.
    pub fn calibration(&mut self) -> u32 {
        self.time(|| cortex_m::asm::delay(499_999))
    }

    /// Draws and flushes each of [`OLED_SCREENS`] on `panel` (full screen:
    /// clear, text, 4096 bytes over SPI); returns (draws, ticks).
    pub fn oled(&mut self, panel: &mut impl device::Panel) -> (u32, u64) {
        let mut ticks = 0u64;
        for screen in &OLED_SCREENS {
            ticks += u64::from(self.time(|| {
                let _ = panel.show(screen);
            }));
        }
        (OLED_SCREENS.len() as u32, ticks)
    }

    /// Decides every corpus case `rounds` times; returns (decisions, ticks
    /// spent inside `decide`). Building the visits is not timed.
    pub fn corpus(&mut self, rounds: u16) -> (u32, u64) {
        let policy = Policy::national();
        let mut decisions = 0u32;
        let mut ticks = 0u64;
        for _ in 0..rounds {
            for case in CASES {
                let visit = (case.visit)();
                ticks += u64::from(self.time(|| {
                    core::hint::black_box(decide(core::hint::black_box(&visit), &policy));
                }));
                decisions += 1;
            }
        }
        (decisions, ticks)
    }
}
