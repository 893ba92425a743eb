/* The header compiles on its own, as C11 and as C++ (g++ -x c++), with every warning an error. */
#include "chiso.h"

int main(void) {
  chiso_bytes bytes = {0, 0};
  chiso_bytes_free(&bytes);
  return chiso_version() == 0;
}
