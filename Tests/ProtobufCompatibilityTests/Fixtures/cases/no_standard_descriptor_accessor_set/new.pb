
+

main.proto"
M
a (Ra:bproto3