
$

main.proto"
M
s (	RsBØ