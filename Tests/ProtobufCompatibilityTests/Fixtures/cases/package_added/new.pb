
-

main.protoshop"
M
a (Rabproto3