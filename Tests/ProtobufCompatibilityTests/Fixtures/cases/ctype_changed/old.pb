
#

main.proto"
M
s (	BRs