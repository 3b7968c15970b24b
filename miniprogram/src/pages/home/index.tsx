import { View, Text } from '@tarojs/components';

export default function Home() {
  return (
    <View id="home"><Text>码上反映</Text></View>
  );
}
