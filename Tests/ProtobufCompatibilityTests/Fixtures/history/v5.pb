
W

main.protoshop";
Order
id (	Rid
qty (Rqty
sku (	Rskubproto3