
—
codec_proto2.protocodec.p2"/
Inner
key (	Rkey
value (Rvalue"©
Legacy
id (Rid
name (	Rname+
level (2.codec.p2.Level:HIGHRlevel#
packed_nums (BR
packedNums
nums (Rnums/
result (
2.codec.p2.Legacy.ResultRresult,
entry	 (
2.codec.p2.Legacy.EntryRentry%
inner (2.codec.p2.InnerRinner'
levels (2.codec.p2.LevelRlevels;
	inner_map (2.codec.p2.Legacy.InnerMapEntryRinnerMap
big (:5Rbig
data (Rdata'
inners (2.codec.p2.InnerRinners8
packed_levels (2.codec.p2.LevelBRpackedLevels
ratio (Rratio1
notes (2.codec.p2.Legacy.NotesEntryRnotes.
Result
url (	Rurl
rank (Rrank
Entry
k
 (RkL
InnerMapEntry
key (	Rkey%
value (2.codec.p2.InnerRvalue:88

NotesEntry
key (	Rkey
value (	Rvalue:8*dÈ*
Level
LOW
HIGH