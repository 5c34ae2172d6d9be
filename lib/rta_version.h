/* rta_version.h: the toolkit's version, shared by every program. */
#ifndef RTA_VERSION_H
#define RTA_VERSION_H

#define RTA_VERSION	"0.1.0"

#endif
