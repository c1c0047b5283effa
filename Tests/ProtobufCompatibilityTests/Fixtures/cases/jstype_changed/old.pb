
)

main.proto"
M
id (Ridbproto3