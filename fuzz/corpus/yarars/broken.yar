rule bad { strings: $a = { 4D 5A ?? [2-4] (AA|BB) } condition: $a and 
