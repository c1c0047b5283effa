
8

main.proto"
M
a (RaBZexample.com/abproto3