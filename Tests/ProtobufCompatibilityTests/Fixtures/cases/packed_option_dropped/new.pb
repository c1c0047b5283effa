
)

main.proto"
M
xs (Rxsbproto3