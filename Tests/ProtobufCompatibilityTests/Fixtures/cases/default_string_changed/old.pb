
"

main.proto"
M
s (	:aRs