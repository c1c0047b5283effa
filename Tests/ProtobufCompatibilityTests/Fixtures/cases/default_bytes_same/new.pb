
&

main.proto"
M
b (:\001xRb