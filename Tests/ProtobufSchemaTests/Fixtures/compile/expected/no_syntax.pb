
>
no_syntax.protonosyntax"!
Old
a (Ra
b (	Rb