module resqflame/goserver

go 1.19
