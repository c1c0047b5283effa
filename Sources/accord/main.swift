import AccordCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

exit(await AccordCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
