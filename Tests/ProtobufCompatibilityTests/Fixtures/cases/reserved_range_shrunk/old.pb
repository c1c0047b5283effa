
2

main.proto"
M
a (RaJRfoobproto3