
Ç
diff2.protoaccord.diff2"+
Inner
id (Rid
note (	Rnote"Ù
Record
key (	Rkey
count (:7Rcount
title (	:untitledRtitle
blob (:a\000bRblob
ratio (:-1.5Rratio.
level (2.accord.diff2.Level:MIDRlevel
flag (:trueRflag
delta (Rdelta
plain	 (Rplain
packed
 (BRpacked+
levels (2.accord.diff2.LevelRlevels)
inner (2.accord.diff2.InnerRinner+
inners (2.accord.diff2.InnerRinners
stamp (Rstamp
share (Rshare9
by_name (2 .accord.diff2.Record.ByNameEntryRbyNameN
ByNameEntry
key (	Rkey)
value (2.accord.diff2.InnerRvalue:8"6
	Defaulted
must (:3Rmust
text (	Rtext"D
Deep&
next (2.accord.diff2.DeepRnext
level (Rlevel*#
Level
LOW
MID
HIGH	