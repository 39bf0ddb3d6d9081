# Writes every DIR/PATTERN file into a C++ include as {name, text} pairs (raw string literals
# split into chunks, so no compiler string-length limit is hit). Used for the default rule set
# (rules/*.yaml) and the HTML report's assets (lib/report/html/assets/*): they stay real files that
# can be read, linted and edited as what they are.
file(GLOB files ${DIR}/${PATTERN})
list(SORT files)
set(out "// Generated from ${PATTERN} files. Do not edit.\n")
foreach(f ${files})
  get_filename_component(name ${f} NAME)
  file(READ ${f} text)
  string(LENGTH "${text}" len)
  set(out "${out}{\"${name}\", std::string_view(\n")
  set(pos 0)
  while(pos LESS len)
    string(SUBSTRING "${text}" ${pos} 8000 chunk)
    set(out "${out}R\"FEDTRIAGE_EMBED(${chunk})FEDTRIAGE_EMBED\"\n")
    math(EXPR pos "${pos} + 8000")
  endwhile()
  set(out "${out})},\n")
endforeach()
file(WRITE ${OUT}.tmp "${out}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
