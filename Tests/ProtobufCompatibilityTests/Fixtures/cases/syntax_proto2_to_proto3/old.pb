
-

main.proto"
M
s (	Rs
i (Ri