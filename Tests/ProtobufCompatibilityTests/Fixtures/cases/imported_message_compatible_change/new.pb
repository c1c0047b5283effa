
=
common.protocommon"
Money
units (Runitsbproto3
V

main.protoshopcommon.proto",
Order#
total (2.common.MoneyRtotalbproto3