
&

main.proto"
M
a (Ra*dÈ