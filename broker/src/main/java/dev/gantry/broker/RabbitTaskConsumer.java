package dev.gantry.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's consumer on RabbitMQ. A message (a chunk of tasks) is acknowledged once every task in it is
 * acknowledged; until then it stays with the broker, which redelivers it if this consumer's channel closes.
 * Once the channel is shut down for any reason the consumer stays closed.
 */
final class RabbitTaskConsumer implements TaskConsumer {
    private static final Logger log = LoggerFactory.getLogger(RabbitTaskConsumer.class);
    private static final int PREFETCH_MESSAGES = 32;

    private record Chunk(long tag, boolean redelivered, List<TaskMessage> tasks, AtomicInteger open) {}

    private final Channel channel;
    private final LinkedBlockingQueue<Chunk> arrived = new LinkedBlockingQueue<>();
    private final ArrayDeque<Delivery> leftover = new ArrayDeque<>();
    private final Map<TaskId, Chunk> unacked = new ConcurrentHashMap<>();
    private volatile boolean open = true;

    RabbitTaskConsumer(Channel channel, String queue) throws IOException {
        this.channel = channel;
        channel.addShutdownListener(this::shutdown);
        channel.basicQos(PREFETCH_MESSAGES);
        channel.basicConsume(queue, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                TaskChunk c = Json.read(body, TaskChunk.class);
                boolean again = env.isRedeliver()
                        || (props.getHeaders() != null
                                && Boolean.TRUE.equals(props.getHeaders().get(RabbitBroker.AGAIN)));
                arrived.add(new Chunk(
                        env.getDeliveryTag(),
                        again,
                        c.tasks(),
                        new AtomicInteger(c.tasks().size())));
            }
        });
    }

    private void shutdown(ShutdownSignalException cause) {
        if (open) {
            log.info("task consumer closed: {}", cause.getMessage());
        }
        open = false;
    }

    @Override
    public synchronized List<Delivery> poll(int max, Duration wait) throws InterruptedException {
        List<Delivery> out = new ArrayList<>(Math.min(max, 256));
        long deadline = System.nanoTime() + wait.toNanos();
        while (open && out.size() < max) {
            if (leftover.isEmpty()) {
                Chunk c = out.isEmpty()
                        ? arrived.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                        : arrived.poll();
                if (c == null) {
                    break;
                }
                for (TaskMessage t : c.tasks()) {
                    unacked.put(t.task(), c);
                    leftover.add(new Delivery(t, c.redelivered()));
                }
            }
            while (!leftover.isEmpty() && out.size() < max) {
                out.add(leftover.poll());
            }
        }
        return out;
    }

    @Override
    public void ack(Collection<TaskId> tasks) {
        for (TaskId id : tasks) {
            Chunk c = unacked.remove(id);
            if (c != null && c.open().decrementAndGet() == 0) {
                try {
                    synchronized (channel) {
                        channel.basicAck(c.tag(), false);
                    }
                } catch (IOException | RuntimeException e) {
                    log.debug("ack failed (the message will be redelivered): {}", e.toString());
                }
            }
        }
    }

    @Override
    public boolean isOpen() {
        return open && channel.isOpen();
    }

    @Override
    public void close() {
        open = false;
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (Exception e) {
            log.debug("closing a task consumer: {}", e.toString());
        }
    }
}
