
X

main.proto"B
Order
item (2.Order.ItemRitem
Item
qty (Rqtybproto3