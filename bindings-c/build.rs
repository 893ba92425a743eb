//! libchiso as a system library: on Linux the shared object carries the SONAME
//! `libchiso.so.<major>` (`libchiso.so.0` for every 0.x release), so that programs linked against
//! it record that name and `bindings-c/install.sh` can lay out `libchiso.so.0.1.0` with the
//! `libchiso.so.0` and `libchiso.so` links, as a distribution does.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".to_owned());
    if os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libchiso.so.{major}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
