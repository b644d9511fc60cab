//! Chooses WebKitGTK's renderer before the first window, on a machine without a GPU.

use std::path::Path;

/// WebKitGTK (2.42 and later) first tries to draw through DMA-BUF buffers, which needs a GPU
/// render node, and Mesa first looks for a hardware driver. On a machine with neither (a VM,
/// a container, Xvfb in CI) both probes fail, and about one start in two waited some 500 ms
/// more before the page began to load: measured from the process start to the page load, on
/// this project's 2-core VM, 240–400 ms or 760–890 ms, 10 of 22 starts slow as shipped, 0 of
/// 14 with both probes skipped. That was the "bimodal" open of #16 (about 600 ms one time,
/// about 1,050 ms another). With no render node under `/dev/dri` there is no GPU to lose, so
/// the probes are skipped. A value the user set wins; on a machine with a GPU, and on macOS
/// and Windows (no WebKitGTK), nothing changes.
pub fn skip_gpu_probes_without_gpu() {
    if !cfg!(target_os = "linux") || has_render_node(Path::new("/dev/dri")) {
        return;
    }
    for (key, value) in [
        ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
        ("LIBGL_ALWAYS_SOFTWARE", "1"),
    ] {
        if std::env::var_os(key).is_none() {
            // Before any thread starts (the first thing `main` does), so no reader races it.
            std::env::set_var(key, value);
        }
    }
}

/// Whether `dri` (the DRM device folder) holds a render node (`renderD128`, ...).
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_render_node_counts_as_a_gpu() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_render_node(&dir.path().join("missing")));
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("card0"), "").unwrap();
        assert!(
            !has_render_node(dir.path()),
            "a display card alone renders nothing"
        );
        std::fs::write(dir.path().join("renderD128"), "").unwrap();
        assert!(has_render_node(dir.path()));
    }
}
