module resqflame/gopprof

go 1.19
