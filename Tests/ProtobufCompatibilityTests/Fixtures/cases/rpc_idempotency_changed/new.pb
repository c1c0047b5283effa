
G

main.proto"
Req"
Resp"
Req22
S
A.Req.Resp"êbproto3