package org.clubanonymiser.demo;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * Emits the member ids 1 to {@code members}: the n-th item read is id n. Restart state is the framework's item
 * count ({@code <name>.read.count}, a number): a restart continues after the last committed chunk without re-reading
 * anything. Not thread-safe (one per step execution, step scoped).
 */
class MemberIdReader extends AbstractItemCountingItemStreamItemReader<Long> {

    MemberIdReader(String name, long members) {
        setName(name);
        setMaxItemCount(Math.toIntExact(members));
    }

    @Override
    protected Long doRead() {
        // read() has already counted this item: the count is the id.
        return (long) getCurrentItemCount();
    }

    @Override
    protected void jumpToItem(int itemIndex) {
        // Nothing to skip over: the count alone says where we are.
    }

    @Override
    protected void doOpen() {
    }

    @Override
    protected void doClose() {
    }
}
