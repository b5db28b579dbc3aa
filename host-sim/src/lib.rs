//! The desktop side of the reception terminal, as a library the `host-sim`
//! binary (and tests) use: board peer, built-in checks, and (growing) the
//! virtual card, virtual online service and scenario runner.

pub mod board_peer;
pub mod board_scenarios;
pub mod cli;
pub mod corpus_run;
pub mod counter;
pub mod device;
pub mod faults;
pub mod link_noise;
pub mod reception_log;
pub mod render;
pub mod scenario;
pub mod scoring;
pub mod serial_link;
pub mod serve;
pub mod train;
pub mod virtual_card;
pub mod virtual_pn532;
pub mod virtual_service;
#[cfg(feature = "web")]
pub mod web;
