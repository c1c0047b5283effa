/// Command-line options of `accord-bench`.
struct BenchOptions {
    var schemaPath = "bench/record.avsc"
    var fastavroScript: String? = "bench/fastavro_bench.py"
    var python = "python3"
    var records = 10_000
    var rounds = 9
    /// The C++ libprotobuf peer (bench/cpp/proto_peer.cc, built by bench/run.sh); nil leaves it out.
    var cppPeer: String?
    /// The Java Avro peer: the `java` launcher and the classpath holding AvroPeer and libavro-java.
    var java = "/usr/bin/java"
    var javaClasspath: String?
    /// Where to write the Markdown report (bench/results.md from `make bench`); nil writes none.
    var resultsPath: String?
    /// How the run was started, for the report (bench/run.sh passes `make bench` and its arguments).
    var command: String?
    /// Each figure repeats whole passes over the records until at least this long has elapsed.
    var minSeconds = 0.25
    var seed: UInt64 = 0x0ACC_02D0

    static let usage = """
        usage: accord-bench [--schema PATH] [--fastavro SCRIPT | --no-fastavro] [--python EXE]
                            [--records N] [--rounds R] [--min-seconds S] [--seed N]
                            [--cpp-peer EXE] [--java EXE] [--java-classpath CP]
                            [--results PATH] [--command TEXT]
        """

    /// Parses `arguments` (without the program name); returns a message for anything it cannot use.
    static func parse(_ arguments: [String]) -> Result<BenchOptions, BenchFailure> {
        var options = BenchOptions()
        var index = 0
        func value(_ flag: String) -> String? {
            index += 1
            return index < arguments.count ? arguments[index] : nil
        }
        while index < arguments.count {
            let flag = arguments[index]
            switch flag {
            case "--schema":
                guard let text = value(flag) else { return .failure(BenchFailure("\(flag) needs a path")) }
                options.schemaPath = text
            case "--fastavro":
                guard let text = value(flag) else { return .failure(BenchFailure("\(flag) needs a path")) }
                options.fastavroScript = text
            case "--cpp-peer", "--results", "--command", "--java", "--java-classpath":
                guard let text = value(flag) else { return .failure(BenchFailure("\(flag) needs a value")) }
                switch flag {
                case "--cpp-peer": options.cppPeer = text
                case "--java": options.java = text
                case "--java-classpath": options.javaClasspath = text
                case "--results": options.resultsPath = text
                default: options.command = text
                }
            case "--no-fastavro":
                options.fastavroScript = nil
            case "--python":
                guard let text = value(flag) else { return .failure(BenchFailure("\(flag) needs a program")) }
                options.python = text
            case "--records", "--rounds":
                guard let text = value(flag), let number = Int(text), number > 0, number <= 10_000_000 else {
                    return .failure(BenchFailure("\(flag) needs a positive count"))
                }
                if flag == "--records" { options.records = number } else { options.rounds = number }
            case "--min-seconds":
                guard let text = value(flag), let number = Double(text), number > 0, number < 600 else {
                    return .failure(BenchFailure("\(flag) needs a number of seconds"))
                }
                options.minSeconds = number
            case "--seed":
                guard let text = value(flag), let number = UInt64(text) else {
                    return .failure(BenchFailure("\(flag) needs an unsigned integer"))
                }
                options.seed = number
            case "-h", "--help":
                return .failure(BenchFailure(usage))
            default:
                return .failure(BenchFailure("unknown argument \(flag)\n\(usage)"))
            }
            index += 1
        }
        return .success(options)
    }
}

/// Why the benchmark cannot go on.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
