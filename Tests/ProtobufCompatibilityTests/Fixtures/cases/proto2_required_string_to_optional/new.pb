


main.proto"
M
s (	Rs