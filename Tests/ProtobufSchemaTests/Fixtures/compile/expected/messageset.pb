
s
messageset.protoms"
Set*ÿÿÿÿ:"F
Item
value (	Rvalue2(
item.ms.SetÎÂñ (2.ms.ItemRitem