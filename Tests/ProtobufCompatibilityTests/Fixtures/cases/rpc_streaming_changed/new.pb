
F

main.proto"
Req"
Resp"
Req22
S
A.Req.Resp(0bproto3