pub mod anatomy;
pub mod drop_zone;
pub mod frame_list;
pub mod legend;
pub mod progress;
pub mod selected_frame;
pub mod settings_panel;
pub mod summary;
