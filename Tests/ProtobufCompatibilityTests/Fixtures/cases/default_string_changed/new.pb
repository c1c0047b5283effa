
"

main.proto"
M
s (	:bRs