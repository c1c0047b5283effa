
8

main.proto"
M
a (RaBZexample.com/bbproto3