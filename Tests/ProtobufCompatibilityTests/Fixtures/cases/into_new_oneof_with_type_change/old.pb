
Ž

main.proto"x
Message
field_float (R
fieldFloatL
#field_with_incompatible_type_change (RfieldWithIncompatibleTypeChangebproto3