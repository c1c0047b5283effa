
E

main.protoshop")
Order
id (	Rid
qty (Rqtybproto3