/*
 * bcryptprimitives.dll for Wine 8.0, which lacks ProcessPrng: Go's runtime
 * (Go 1.24 and newer) calls it for random bytes at start-up and cannot run
 * without it. This stand-in takes the bytes from advapi32's RtlGenRandom
 * (SystemFunction036), which Wine has. CI builds it with mingw-w64 and puts
 * it in the Wine prefix's system32; it never ships with soakkit.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
