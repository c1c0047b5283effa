


main.proto"
M
b (Rb