
Y

main.protoshop"=
Order
id (	Rid
qty (	Rqty
note (	Rnotebproto3