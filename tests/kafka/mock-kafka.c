/*
 * mock-kafka: a Kafka cluster for tests, in its own process, so that kcat
 * and an rta pipeline talk the real Kafka protocol on loopback.  It is
 * librdkafka's mock cluster (rdkafka_mock.h): brokers that keep messages
 * in memory, consumer groups and offset commits included.  It prints the
 * bootstrap servers as its one line of output, then runs until standard
 * input reaches its end (so a test that holds a pipe to it never leaves
 * it behind) or until SIGTERM, SIGINT or SIGHUP.
 *
 *	mock-kafka [-b brokers] [-t topic[:partitions[:replicas]]] ...
 *
 * Limits of the mock (librdkafka 2.0): each partition keeps its last
 * 5 MiB or 100,000 batches; a group's first join waits about 3 s; fetches
 * are not woken by produces (use kcat -X fetch.wait.max.ms=10); topics
 * are only made here, or with 4 partitions when a client asks for an
 * unknown one.  Exit status: 0 stopped, 1 setup failed, 2 usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_TOPICS	16

struct topic {
	char	*name;
	int	 partitions;
	int	 replicas;
};

static int	number(const char *, int, int, int *);
static int	topic_parse(char *, struct topic *);
static void	wait_for_end(const sigset_t *);
static void	usage(void);

int
main(int argc, char *argv[])
{
	struct topic topics[MAX_TOPICS];
	rd_kafka_mock_cluster_t *mc;
	rd_kafka_conf_t *conf;
	rd_kafka_resp_err_t e;
	rd_kafka_t *rk;
	sigset_t sigs;
	char errstr[256];
	int brokers = 3, ntopics = 0, c, i;

	while ((c = getopt(argc, argv, "b:ht:")) != -1) {
		switch (c) {
		case 'b':
			if (number(optarg, 1, 16, &brokers) != 0)
				usage();
			break;
		case 't':
			if (ntopics == MAX_TOPICS ||
			    topic_parse(optarg, &topics[ntopics]) != 0)
				usage();
			ntopics++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	for (i = 0; i < ntopics; i++)
		if (topics[i].replicas > brokers) {
			fprintf(stderr, "mock-kafka: topic %s: %d replicas "
			    "but %d brokers\n", topics[i].name,
			    topics[i].replicas, brokers);
			return 2;
		}

	/*
	 * Block the stop signals before librdkafka starts its threads, so
	 * that none of them takes one: the main thread looks for them.
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	/* a reader of our output that went away is no reason to stop */
	signal(SIGPIPE, SIG_IGN);

	/* the cluster needs a client handle for its bookkeeping only: this
	 * producer is never given a broker to connect to */
	conf = rd_kafka_conf_new();
	if (rd_kafka_conf_set(conf, "log_level", "3", errstr,
	    sizeof(errstr)) != RD_KAFKA_CONF_OK) {
		fprintf(stderr, "mock-kafka: %s\n", errstr);
		return 1;
	}
	rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
	if (rk == NULL) {
		fprintf(stderr, "mock-kafka: %s\n", errstr);
		return 1;
	}
	if ((mc = rd_kafka_mock_cluster_new(rk, brokers)) == NULL) {
		fprintf(stderr, "mock-kafka: cannot start the mock cluster\n");
		rd_kafka_destroy(rk);
		return 1;
	}
	for (i = 0; i < ntopics; i++) {
		e = rd_kafka_mock_topic_create(mc, topics[i].name,
		    topics[i].partitions, topics[i].replicas);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			fprintf(stderr, "mock-kafka: topic %s: %s\n",
			    topics[i].name, rd_kafka_err2str(e));
			rd_kafka_mock_cluster_destroy(mc);
			rd_kafka_destroy(rk);
			return 1;
		}
	}
	/* the listeners already accept: the address is usable at once */
	printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
	if (fflush(stdout) != 0)
		fprintf(stderr, "mock-kafka: write error: %s\n",
		    strerror(errno));

	wait_for_end(&sigs);

	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return 0;
}

/*
 * Until standard input ends or a stop signal is pending.  Input is read
 * and thrown away; polling every 100 ms for the signals keeps this to
 * plain POSIX calls.
 */
static void
wait_for_end(const sigset_t *sigs)
{
	struct pollfd pfd;
	static const int stops[] = { SIGTERM, SIGINT, SIGHUP };
	sigset_t pending;
	char buf[512];
	ssize_t n;
	size_t i;

	pfd.fd = STDIN_FILENO;
	pfd.events = POLLIN;
	for (;;) {
		pfd.revents = 0;
		if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
			return;
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n == 0 || (n < 0 && errno != EINTR &&
			    errno != EAGAIN))
				return;
		}
		if (sigpending(&pending) != 0)
			return;
		for (i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
			if (sigismember(sigs, stops[i]) &&
			    sigismember(&pending, stops[i]))
				return;
	}
}

/* topic[:partitions[:replicas]]; s is changed in place */
static int
topic_parse(char *s, struct topic *t)
{
	char *p, *r;

	t->partitions = 4;
	t->replicas = 1;
	if ((p = strchr(s, ':')) != NULL) {
		*p++ = '\0';
		if ((r = strchr(p, ':')) != NULL) {
			*r++ = '\0';
			if (number(r, 1, 16, &t->replicas) != 0)
				return -1;
		}
		if (number(p, 1, 1000, &t->partitions) != 0)
			return -1;
	}
	if (*s == '\0')
		return -1;
	t->name = s;
	return 0;
}

static int
number(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: mock-kafka [-b brokers] "
	    "[-t topic[:partitions[:replicas]]] ...\n");
	exit(2);
}
