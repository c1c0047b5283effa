
3

main.proto"
M
a (RaB’0beditionspè