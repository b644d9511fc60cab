//! Stamps the Git commit into the `cairn` binary for `cairn --version`.

#[path = "git_commit.rs"]
mod git_commit;

fn main() {
    git_commit::emit(std::path::Path::new("."));
}
