
ž
scoping.protox.y"
Target
v (Rv"
Bar
Baz"Ü
Outer4
inner_target (2.x.y.Outer.TargetRinnerTarget*

top_target (2.x.y.TargetR	topTarget
baz (2.x.y.Bar.BazRbaz&
inner (2.x.y.Outer.InnerRinner1
	mid_inner (2.x.y.Outer.Mid.InnerRmidInner 
mid (2.x.y.Outer.MidRmid
x
y
Target
Bar
Inner¯
Mid"
a (2.x.y.Outer.Mid.InnerRa
b (2.x.y.Outer.InnerRbd
Inner(
self (2.x.y.Outer.Mid.InnerRself1
outer_inner (2.x.y.Outer.InnerR
outerInner"_
Shadow#
Target (2.x.y.TargetRTarget
Bar (RBar
baz (2.x.y.Bar.BazRbaz"l
Plain
t (2.x.y.TargetRt
baz (2.x.y.Bar.BazRbaz(
deep (2.x.y.Outer.Mid.InnerRdeep2,
Svc%
Call.x.y.Target.x.y.Outer.Innerbproto3