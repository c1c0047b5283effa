
5

main.proto"
M
s (	Rs
i (Ribproto3