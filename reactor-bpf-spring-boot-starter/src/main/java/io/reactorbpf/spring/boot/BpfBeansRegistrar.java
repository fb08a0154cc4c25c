package io.reactorbpf.spring.boot;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.perf.PerfBufferListener;
import io.reactorbpf.perf.PerfRings;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.List;

/**
 * Registers a bean per configured object and per streamed map, as {@link BpfProperties} lists them: the
 * {@link BpfObject} {@code NAME}, loaded by {@link BpfObjectLoader} and closed when the context closes, and the
 * {@link BpfEventStream} {@code NAME.MAP}, which depends on its object's bean so that it is created after it and
 * destroyed before it. Runs once, while the context reads its bean definitions.
 */
final class BpfBeansRegistrar implements BeanDefinitionRegistryPostProcessor, BeanFactoryAware {

    private final Environment environment;
    private BeanFactory beans;

    BpfBeansRegistrar(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beans = beanFactory;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        BpfProperties properties = Binder.get(environment).bindOrCreate("reactorbpf", BpfProperties.class);
        properties.objects().forEach((name, object) -> {
            RootBeanDefinition loaded = new RootBeanDefinition(BpfObject.class,
                    () -> beans.getBean(BpfObjectLoader.class).load(name));
            loaded.setDestroyMethodName("close");
            registry.registerBeanDefinition(name, loaded);
            object.streams().forEach((map, stream) -> {
                RootBeanDefinition events = new RootBeanDefinition(BpfEventStream.class,
                        () -> open(beans, name, map, stream));
                events.setDependsOn(name);
                events.setDestroyMethodName("close");
                registry.registerBeanDefinition(name + "." + map, events);
            });
        });
    }

    private static BpfEventStream open(BeanFactory beans, String object, String map, BpfStreamProperties stream) {
        List<StreamObserver> observers = beans.getBeanProvider(StreamObserver.class).orderedStream().toList();
        List<PerfBufferListener> listeners = observers.stream().map(o -> o.rings(object, map)).toList();
        String property = BpfObjectLoader.prefix(object) + ".streams." + map;
        BpfMap bpfMap = beans.getBean(object, BpfObject.class).map(map);
        BpfEventStream events = new BpfEventStream(object, map, bpfMap.type(),
                StreamSource.of(bpfMap, stream, new Listeners(listeners), property), stream.subscriberBuffer());
        observers.forEach(o -> o.opened(events));
        return events;
    }

    /** Every observer's listener; each is called on the rings' owner thread and must not block or throw. */
    private record Listeners(List<PerfBufferListener> all) implements PerfBufferListener {
        @Override
        public void opened(PerfRings rings) {
            all.forEach(l -> l.opened(rings));
        }

        @Override
        public void closed(PerfRings rings) {
            all.forEach(l -> l.closed(rings));
        }
    }
}
