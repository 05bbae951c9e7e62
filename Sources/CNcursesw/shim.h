#ifndef NEXTTOKEN_CNCURSESW_SHIM_H
#define NEXTTOKEN_CNCURSESW_SHIM_H

// pkg-config's -D_XOPEN_SOURCE flags are dropped by SwiftPM; without this the
// wide-character API (cchar_t, setcchar, add_wch) does not import.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <curses.h>
#include <term.h>

// Glibc's Swift module hides wcwidth.
int wcwidth(wchar_t c);

#endif
