// libcsv (Debian libcsv-dev): a small, fast, streaming CSV parser in C.
#include <csv.h>
