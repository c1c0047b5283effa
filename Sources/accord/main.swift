import AccordCLI

await AccordCommand.main()
