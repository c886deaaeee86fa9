//! Generates the Rust types of `proto/com/igtimi/*.proto` with prost, compiling the files
//! with protox (pure Rust: no `protoc` on the machine).

fn main() {
    let files = [
        "proto/com/igtimi/stream.proto",
        "proto/com/igtimi/data.proto",
    ];
    for file in files {
        println!("cargo:rerun-if-changed={file}");
    }
    let descriptors = protox::compile(files, ["proto"]).expect("the .proto files compile");
    prost_build::Config::new()
        .compile_fds(descriptors)
        .expect("prost generates the Rust types");
}
