fn main() { telltale::run() }
